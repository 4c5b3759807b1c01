using System.Security.Cryptography.X509Certificates;

namespace ExchangeGateway.SecurityServer.Hosting;

/// <summary>
/// The message log's archives and retention (section <c>SecurityServer:MessageLog</c>; MessageLog/README.md
/// "Archives"). Nothing is archived or erased unless <see cref="ArchiveAfter"/> or <see cref="BodyRetention"/> is set.
/// </summary>
public sealed class MessageLogSettings
{
    /// <summary>Records older than this (by their <c>at</c>) and covered by a time-stamped checkpoint move to signed archive files; unset keeps them live.</summary>
    public TimeSpan? ArchiveAfter { get; set; }

    /// <summary>Bodies of records older than this are erased (the digest and the leaf stay); unset keeps bodies. May be shorter than <see cref="ArchiveAfter"/>.</summary>
    public TimeSpan? BodyRetention { get; set; }

    /// <summary>Where archives are written and read back from; default <c>&lt;DataDirectory&gt;/archives</c>.</summary>
    public string? ArchiveDirectory { get; set; }

    /// <summary>
    /// PEM files, each an RSA certificate to wrap every new archive's body key to (bodies are then encrypted,
    /// AES-256-GCM). A file that also holds the certificate's private key lets this server read archived
    /// bodies back decrypted; otherwise they read as encrypted. Empty: bodies are archived in the clear.
    /// </summary>
    public List<string> ArchiveEncryptionCertificates { get; set; } = [];

    /// <summary>How often a retention pass runs; default one hour. <c>POST /api/v1/message-log/retention-runs</c> runs one now.</summary>
    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The archive directory in force.</summary>
    public string ArchiveDirectoryIn(string dataDirectory) => ArchiveDirectory ?? Path.Combine(dataDirectory, "archives");

    /// <summary>True when a pass has anything to do.</summary>
    public bool Enabled => ArchiveAfter is not null || BodyRetention is not null;

    /// <summary>Loads <see cref="ArchiveEncryptionCertificates"/> (with their private keys when the files hold them).</summary>
    /// <exception cref="IOException">A file cannot be read.</exception>
    /// <exception cref="System.Security.Cryptography.CryptographicException">A file holds no certificate, or a key that does not match it.</exception>
    public List<X509Certificate2> LoadEncryptionCertificates()
    {
        var certificates = new List<X509Certificate2>();
        foreach (var path in ArchiveEncryptionCertificates)
        {
            var pem = File.ReadAllText(path);
            certificates.Add(pem.Contains("PRIVATE KEY-----", StringComparison.Ordinal)
                ? X509Certificate2.CreateFromPem(pem, pem)
                : X509Certificate2.CreateFromPem(pem));
        }

        return certificates;
    }

    /// <summary>What is wrong with these settings, or null (checked at start-up).</summary>
    public string? Problem()
    {
        if (ArchiveAfter is { } archiveAfter && archiveAfter <= TimeSpan.Zero)
        {
            return "SecurityServer:MessageLog:ArchiveAfter must be positive";
        }

        if (BodyRetention is { } retention && retention <= TimeSpan.Zero)
        {
            return "SecurityServer:MessageLog:BodyRetention must be positive";
        }

        if (RetentionInterval <= TimeSpan.Zero)
        {
            return "SecurityServer:MessageLog:RetentionInterval must be positive";
        }

        if (ArchiveDirectory is not null && string.IsNullOrWhiteSpace(ArchiveDirectory))
        {
            return "SecurityServer:MessageLog:ArchiveDirectory must not be blank";
        }

        try
        {
            foreach (var certificate in LoadEncryptionCertificates())
            {
                using (certificate)
                using (var rsa = certificate.GetRSAPublicKey())
                {
                    if (rsa is null)
                    {
                        return $"SecurityServer:MessageLog:ArchiveEncryptionCertificates: {certificate.Subject} has no RSA key (CMS key transport needs RSA)";
                    }
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            return $"SecurityServer:MessageLog:ArchiveEncryptionCertificates: {ex.Message}";
        }

        return null;
    }
}
