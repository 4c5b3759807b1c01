namespace ExchangeGateway.TrustServices.Ca;

/// <summary>The kinds of certificate the dev CA issues; each fixes its extensions.</summary>
public enum CertificateProfile
{
    /// <summary>Self-signed root: CA, keyCertSign and cRLSign.</summary>
    RootCa,

    /// <summary>Issuing CA under the root: CA with path length 0.</summary>
    IntermediateCa,

    /// <summary>A security server's TLS certificate: digitalSignature, EKU serverAuth and clientAuth.</summary>
    Authentication,

    /// <summary>A member's message-signing certificate: nonRepudiation and digitalSignature, no EKU.</summary>
    Signing,

    /// <summary>A delegated OCSP responder (RFC 6960 §4.2.2.2): EKU OCSPSigning and id-pkix-ocsp-nocheck.</summary>
    OcspResponder,

    /// <summary>A TSA (RFC 3161 §2.3): the single, critical EKU timeStamping.</summary>
    TimeStamping,
}
