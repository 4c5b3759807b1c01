using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace ExchangeGateway.SecurityServer.Tests.Exchange;

/// <summary>X-Road 4.0 SOAP messages for the functional tests, written out by hand so each test can break exactly one thing.</summary>
public static partial class SoapFixtures
{
    public const string EnvelopeEnd = "</SOAP-ENV:Envelope>";

    public const string ProviderFault =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\"><SOAP-ENV:Body><SOAP-ENV:Fault>"
        + "<faultcode>SOAP-ENV:Server</faultcode><faultstring>provider says no</faultstring></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>";

    public static string Client(string objectType = "SUBSYSTEM", string subsystem = "consumer") =>
        $"<xrd:client id:objectType=\"{objectType}\"><id:xRoadInstance>DEV</id:xRoadInstance><id:memberClass>GOV</id:memberClass><id:memberCode>70000001</id:memberCode>"
        + (subsystem.Length > 0 ? $"<id:subsystemCode>{subsystem}</id:subsystemCode>" : string.Empty) + "</xrd:client>";

    public static string Service(string code, string objectType = "SERVICE") =>
        $"<xrd:service id:objectType=\"{objectType}\"><id:xRoadInstance>DEV</id:xRoadInstance><id:memberClass>ORG</id:memberClass><id:memberCode>70000002</id:memberCode>"
        + $"<id:subsystemCode>provider</id:subsystemCode><id:serviceCode>{code}</id:serviceCode></xrd:service>";

    /// <summary>The header fields in X-Road's usual order.</summary>
    public static string Header(string code, string id, string protocolVersion = "4.0") =>
        Client() + Service(code) + $"<xrd:id>{id}</xrd:id><xrd:userId>EE12345678901</xrd:userId><xrd:protocolVersion>{protocolVersion}</xrd:protocolVersion>";

    /// <summary>A whole request envelope; <paramref name="header"/> defaults to <see cref="Header"/>, <paramref name="content"/> goes inside the wrapper.</summary>
    public static string Envelope(string code, string id, string? header = null, string content = "<m:text>hello</m:text>", string? wrapper = null) =>
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n"
        + "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:xrd=\"http://x-road.eu/xsd/xroad.xsd\" xmlns:id=\"http://x-road.eu/xsd/identifiers\">"
        + $"<SOAP-ENV:Header>{header ?? Header(code, id)}</SOAP-ENV:Header>"
        + $"<SOAP-ENV:Body><m:{wrapper ?? code} xmlns:m=\"urn:test\">{content}</m:{wrapper ?? code}></SOAP-ENV:Body>"
        + EnvelopeEnd;

    /// <summary>The wrapper (and every m: element) of the SOAP part renamed to …Response, attachments untouched.</summary>
    public static string RenameWrapper(string message)
    {
        var end = message.IndexOf(EnvelopeEnd, StringComparison.Ordinal);
        if (end < 0)
        {
            return message;
        }

        return WrapperName().Replace(message[..end], "<$1m:$2Response") + message[end..];
    }

    /// <summary>A multipart/related body: the SOAP part, then each attachment with its Content-ID.</summary>
    public static (byte[] Body, string ContentType) Multipart(string soap, IReadOnlyList<(string ContentId, string ContentType, byte[] Bytes)> attachments, bool mtom = false)
    {
        const string boundary = "xgw-test-boundary-4f1c";
        using var body = new MemoryStream();
        void Write(string text) => body.Write(Encoding.ASCII.GetBytes(text));
        Write($"--{boundary}\r\n");
        Write(mtom
            ? "Content-Type: application/xop+xml; charset=UTF-8; type=\"text/xml\"\r\nContent-Transfer-Encoding: 8bit\r\nContent-ID: <root@test>\r\n\r\n"
            : "Content-Type: text/xml; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\nContent-ID: <root@test>\r\n\r\n");
        body.Write(Encoding.UTF8.GetBytes(soap));
        foreach (var (contentId, contentType, bytes) in attachments)
        {
            Write($"\r\n--{boundary}\r\nContent-Type: {contentType}\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <{contentId}>\r\n\r\n");
            body.Write(bytes);
        }

        Write($"\r\n--{boundary}--\r\n");
        var type = mtom
            ? $"multipart/related; type=\"application/xop+xml\"; boundary=\"{boundary}\"; start=\"<root@test>\"; start-info=\"text/xml\""
            : $"multipart/related; type=\"text/xml\"; boundary=\"{boundary}\"; start=\"<root@test>\"";
        return (body.ToArray(), type);
    }

    /// <summary>Deterministic bytes that never contain a MIME boundary or the wrapper's name.</summary>
    public static byte[] Attachment(int length)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = (byte)((i * 7) % 251);
        }

        return bytes;
    }

    /// <summary>X-Road's request hash of a SOAP part: base64 SHA-512.</summary>
    public static string RequestHash(string soap) => Convert.ToBase64String(SHA512.HashData(Encoding.UTF8.GetBytes(soap)));

    /// <summary>The fault code of a SOAP fault answer, or null.</summary>
    public static string? FaultCode(string answer)
    {
        var match = FaultCodePattern().Match(answer);
        return match.Success ? match.Groups[1].Value : null;
    }

    [GeneratedRegex("<(/?)m:([A-Za-z]+)(?=[\\s>/])")]
    private static partial Regex WrapperName();

    [GeneratedRegex("<faultcode>([^<]*)</faultcode>")]
    private static partial Regex FaultCodePattern();
}
