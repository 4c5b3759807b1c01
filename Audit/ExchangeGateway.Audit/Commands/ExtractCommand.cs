using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using ExchangeGateway.Common.Crypto.Batch;
using ExchangeGateway.Config.Serialization;
using ExchangeGateway.MessageLog.Evidence;
using ExchangeGateway.MessageLog.Integration;
using ExchangeGateway.MessageLog.Records;

namespace ExchangeGateway.Audit.Commands;

/// <summary>
/// <c>xgw-audit extract &lt;bundle&gt; &lt;directory&gt;</c>: writes each part of a bundle as its own standard
/// file (CMS, TSP and OCSP DER, PEM certificates, the signed texts) and a README.txt with the exact OpenSSL
/// commands that check them, so that an auditor can check the cryptography without this tool. Files of
/// the same name are overwritten. Nothing is verified here.
/// </summary>
internal static class ExtractCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var bundleArgument = new Argument<string>("bundle") { Description = "The evidence bundle (.xgwe)" };
        var directoryArgument = new Argument<string>("directory") { Description = "Where to write the parts (created when missing)" };
        var command = new Command("extract", "Write each part of an evidence bundle as a separate file, with the OpenSSL commands that check them")
        {
            bundleArgument,
            directoryArgument,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var bundle = await InputFile.ReadBundleAsync(parse.GetValue(bundleArgument)!, error).ConfigureAwait(false);
            if (bundle is null)
            {
                return AuditExitCodes.Usage;
            }

            var directory = parse.GetValue(directoryArgument)!;
            try
            {
                Directory.CreateDirectory(directory);
                var files = await WriteAsync(bundle, directory, cancellationToken).ConfigureAwait(false);
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Wrote {files} files to {directory}; see {Path.Combine(directory, "README.txt")}.")).ConfigureAwait(false);
                return AuditExitCodes.Verified;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"{directory}: cannot be written: {ex.Message}").ConfigureAwait(false);
                return AuditExitCodes.Usage;
            }
        });
        return command;
    }

    private static async Task<int> WriteAsync(EvidenceBundle bundle, string directory, CancellationToken cancellationToken)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var readme = new StringBuilder();
        readme.Append(CultureInfo.InvariantCulture, $"""
            Parts of the evidence {bundle.Describe()}, written by xgw-audit extract.
            Each part is a standard object that OpenSSL checks on its own; run the commands below in this
            directory. -attime checks certificates at the time of the evidence (they may have expired since);
            -partial_chain lets an approved CA or TSA certificate that is not self-signed be the trust anchor,
            as global configuration makes it. xgw-audit verify checks everything here and more (the inclusion
            proofs into the checkpoint, that each signer is the right member, that the record's fields are the
            signed head's), which OpenSSL cannot.

            """);

        files["ca-certificates.pem"] = Pem(bundle.Trust.CaCertificates);
        files["tsa-certificates.pem"] = Pem(bundle.Trust.TsaCertificates);
        files["globalconf.json"] = bundle.Trust.ConfigurationContent.ToArray();
        files["globalconf.p7s"] = bundle.Trust.ConfigurationSignature.ToArray();
        files["anchor.json"] = bundle.Trust.Anchor.ToArray();
        var anchor = Config.Anchors.ConfigurationAnchorSerializer.Read(bundle.Trust.Anchor);
        files["anchor-certificates.pem"] = anchor.Success ? Pem(anchor.Value!.Certificates) : [];
        var configuration = GlobalConfigurationSerializer.Read(bundle.Trust.ConfigurationContent);
        var generatedAt = configuration.Success ? Epoch(configuration.Value!.GeneratedAt) : "<generation time>";

        readme.Append(CultureInfo.InvariantCulture, $"""
            == Trust: the global configuration and its anchor
            anchor.json is the configuration anchor; compare its SHA-256 with the value the federation publishes:
              sha256sum anchor.json
            globalconf.json is signed by a certificate of the anchor (anchor-certificates.pem):
              openssl cms -verify -binary -inform DER -in globalconf.p7s -content globalconf.json -CAfile anchor-certificates.pem -partial_chain -purpose any -attime {generatedAt} -out /dev/null
            ca-certificates.pem and tsa-certificates.pem are the configuration's approved CAs and TSAs.


            """);

        foreach (var record in bundle.Records)
        {
            AppendRecord(record, bundle.Trust.CaCertificates, files, readme);
        }

        files["checkpoint.txt"] = bundle.Checkpoint.Content.ToArray();
        files["checkpoint.p7s"] = bundle.Checkpoint.Signature.ToArray();
        files["checkpoint.tsr"] = bundle.Checkpoint.TimeStampToken.ToArray();
        var checkpoint = Checkpoint.Parse(bundle.Checkpoint.Content.Span);
        var createdAt = checkpoint.Success ? Epoch(checkpoint.Value!.CreatedAt) : "<checkpoint time>";
        var genTime = Rfc3161TimestampToken.TryDecode(bundle.Checkpoint.TimeStampToken, out var token, out _)
            ? Epoch(token.TokenInfo.Timestamp)
            : "<time-stamp time>";
        readme.Append(CultureInfo.InvariantCulture, $"""
            == Checkpoint
            checkpoint.txt (tree size, root, time) is signed by the server owner's signing key:
              openssl cms -verify -binary -inform DER -in checkpoint.p7s -content checkpoint.txt -CAfile ca-certificates.pem -partial_chain -purpose any -attime {createdAt} -out /dev/null
            checkpoint.tsr is an RFC 3161 time-stamp token over SHA-256 of checkpoint.p7s by an approved TSA:
              openssl ts -verify -in checkpoint.tsr -token_in -data checkpoint.p7s -CAfile tsa-certificates.pem -partial_chain -attime {genTime}
              openssl ts -reply -in checkpoint.tsr -token_in -token_out -text

            """);

        if (bundle.Witness is { } witness)
        {
            files["witness.txt"] = witness.Statement.ToArray();
            files["witness.p7s"] = witness.Signature.ToArray();
            var statement = WitnessStatement.Parse(witness.Statement.Span);
            var witnessedAt = statement.Success ? Epoch(statement.Value!.WitnessedAt) : "<witness time>";
            readme.Append(CultureInfo.InvariantCulture, $"""

                == Witness
                witness.txt is the Central Server's statement that it witnessed this checkpoint, signed with its configuration-signing key:
                  openssl cms -verify -binary -inform DER -in witness.p7s -content witness.txt -CAfile anchor-certificates.pem -partial_chain -purpose any -attime {witnessedAt} -out /dev/null

                """);
        }

        files["README.txt"] = Encoding.UTF8.GetBytes(readme.ToString().ReplaceLineEndings("\n"));
        foreach (var (name, bytes) in files)
        {
            await File.WriteAllBytesAsync(Path.Combine(directory, name), bytes, cancellationToken).ConfigureAwait(false);
        }

        return files.Count;
    }

    private static void AppendRecord(EvidenceRecord record, IReadOnlyList<ReadOnlyMemory<byte>> caCertificates, Dictionary<string, byte[]> files, StringBuilder readme)
    {
        var n = record.Sequence.ToString(CultureInfo.InvariantCulture);
        files[$"record-{n}.bin"] = record.Canonical.ToArray();
        readme.Append(CultureInfo.InvariantCulture, $"""
            == Record {n}
            record-{n}.bin is the record's canonical encoding (MessageLog/README.md); its leaf hash is
              (printf '\000'; cat record-{n}.bin) | openssl dgst -sha256

            """);
        if (record.Body is { } body)
        {
            files[$"record-{n}.body"] = body.ToArray();
            readme.Append(CultureInfo.InvariantCulture, $"""
                record-{n}.body is the body; its SHA-512 is the digest the record and the signed head hold:
                  openssl dgst -sha512 record-{n}.body

                """);
        }

        var decoded = RecordDecoding.TryDecode(record.Canonical.Span);
        if (!decoded.Success)
        {
            readme.Append(CultureInfo.InvariantCulture, $"The record's encoding does not decode ({decoded.Message}); nothing more is extracted.\n\n");
            return;
        }

        var message = decoded.Value.Record;
        if (message.Head.IsEmpty && message.Signature.IsEmpty)
        {
            readme.Append(CultureInfo.InvariantCulture, $"Record {n} is an error record (HTTP {message.HttpStatus}, {message.ErrorCode}): there is no signed message.\n\n");
            return;
        }

        files[$"message-{n}.head"] = message.Head.ToArray();
        files[$"message-{n}.signed"] = record.SignedContent.ToArray();
        if (!message.Ocsp.IsEmpty)
        {
            files[$"message-{n}.ocsp.der"] = message.Ocsp.ToArray();
        }

        var batch = BatchSignatureEncoding.TryDecode(message.Signature.Span);
        if (!batch.Success)
        {
            readme.Append(CultureInfo.InvariantCulture, $"The message signature does not decode ({batch.Message}); message-{n}.p7s is not written.\n\n");
            return;
        }

        files[$"message-{n}.p7s"] = batch.Value!.Cms;
        var (signer, issuer) = Certificates(batch.Value.Cms, caCertificates);
        if (signer is not null)
        {
            files[$"signer-{n}.pem"] = Encoding.ASCII.GetBytes(signer.ExportCertificatePem() + "\n");
        }

        if (issuer is not null)
        {
            files[$"issuer-{n}.pem"] = Encoding.ASCII.GetBytes(issuer.ExportCertificatePem() + "\n");
        }

        var at = Epoch(message.At);
        var digest = OcspCertIdDigest(message.Ocsp.ToArray());
        readme.Append(CultureInfo.InvariantCulture, $"""
            message-{n}.head is the signed head. Its SHA-256 is leaf {batch.Value.LeafIndex} of a batch of {batch.Value.TreeSize}
            messages; message-{n}.signed (label, batch size, batch root) is what the member's CMS signature covers:
              openssl cms -verify -binary -inform DER -in message-{n}.p7s -content message-{n}.signed -CAfile ca-certificates.pem -partial_chain -purpose any -attime {at} -out /dev/null
            message-{n}.ocsp.der is the OCSP response for the signer's certificate (signer-{n}.pem, issued by issuer-{n}.pem); it must say good
            (-no_nonce: the response answered the security server's request, whose nonce OpenSSL cannot know):
              openssl ocsp -respin message-{n}.ocsp.der -{digest} -issuer issuer-{n}.pem -cert signer-{n}.pem -CAfile ca-certificates.pem -partial_chain -no_nonce -attime {at}


            """);
        signer?.Dispose();
        issuer?.Dispose();
    }

    /// <summary>The CMS's signer certificate and its issuer (from the CMS, else among the approved CAs).</summary>
    private static (X509Certificate2? Signer, X509Certificate2? Issuer) Certificates(byte[] cms, IReadOnlyList<ReadOnlyMemory<byte>> caCertificates)
    {
        var signed = new SignedCms();
        try
        {
            signed.Decode(cms);
        }
        catch (CryptographicException)
        {
            return (null, null);
        }

        var signer = signed.SignerInfos.Count == 1 ? signed.SignerInfos[0].Certificate : null;
        if (signer is null)
        {
            return (null, null);
        }

        bool Issued(X509Certificate2 c) => c.SubjectName.RawData.AsSpan().SequenceEqual(signer.IssuerName.RawData) && c.Thumbprint != signer.Thumbprint;
        var issuer = signed.Certificates.Cast<X509Certificate2>().FirstOrDefault(Issued);
        if (issuer is not null)
        {
            return (signer, X509CertificateLoader.LoadCertificate(issuer.RawData));
        }

        foreach (var der in caCertificates)
        {
            try
            {
                var ca = X509CertificateLoader.LoadCertificate(der.Span);
                if (Issued(ca))
                {
                    return (signer, ca);
                }

                ca.Dispose();
            }
            catch (CryptographicException)
            {
                // Not a certificate: the verifier reports that; here it simply cannot be the issuer.
            }
        }

        return (signer, null);
    }

    /// <summary>The OpenSSL name of the digest the response's CertID uses: <c>openssl ocsp</c> must hash the certificate alike to find its status.</summary>
    private static string OcspCertIdDigest(byte[] ocsp)
    {
        var parsed = Common.Crypto.Ocsp.OcspResponseVerifier.Parse(ocsp);
        var oid = parsed.Success && parsed.Value!.Responses.Count > 0 ? parsed.Value.Responses[0].CertificateId.HashAlgorithmOid : null;
        return oid switch
        {
            "1.3.14.3.2.26" => "sha1",
            "2.16.840.1.101.3.4.2.2" => "sha384",
            "2.16.840.1.101.3.4.2.3" => "sha512",
            _ => "sha256",
        };
    }

    private static byte[] Pem(IEnumerable<ReadOnlyMemory<byte>> certificates)
    {
        var text = new StringBuilder();
        foreach (var der in certificates)
        {
            text.Append(PemEncoding.Write("CERTIFICATE", der.Span)).Append('\n');
        }

        return Encoding.ASCII.GetBytes(text.ToString());
    }

    private static string Epoch(DateTimeOffset time) => time.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
}
