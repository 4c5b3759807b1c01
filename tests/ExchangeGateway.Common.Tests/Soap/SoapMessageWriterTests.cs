using System.Text;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Common.Soap;
using ExchangeGateway.Common.Xml;
using static ExchangeGateway.Common.Tests.Soap.SoapSamples;

namespace ExchangeGateway.Common.Tests.Soap;

public sealed class SoapMessageWriterTests
{
    private static readonly SoapHeader Full = new()
    {
        Client = ClientId.Parse("EE/GOV/70000002/clinic"),
        Service = ServiceId.Parse("EE/GOV/70000001/hospital/listMethods"),
        Id = "m-1",
        UserId = "EE1",
        Issue = "i-1",
        SecurityServer = SecurityServerId.Parse("EE/GOV/70000001/ss1"),
        RepresentedParty = new RepresentedParty(null, "99"),
    };

    [Fact]
    public void WriteRequest_ReadsBackEqual()
    {
        var bytes = SoapMessageWriter.WriteRequest(Full, "listMethods", Xrd, _ => { });

        var read = SoapEnvelopeReader.ReadRequest(bytes, XmlLimits.Default);

        Assert.True(read.Success, read.Message);
        Assert.Equal(Full with { Order = read.Value.Header!.Order }, read.Value.Header);
        Assert.Equal(["client", "service", "securityServer", "id", "userId", "issue", "protocolVersion", "representedParty"], read.Value.Header.Order);
        Assert.Equal("listMethods", read.Value.BodyLocalName);
        Assert.Equal(Xrd, read.Value.BodyNamespace);
        Assert.False(bytes.AsSpan().StartsWith(new byte[] { 0xEF, 0xBB, 0xBF }));
        Assert.Contains("<xrd:listMethods", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public void WriteResponse_EchoesRequestOrder_AndAddsHash()
    {
        var request = SoapEnvelopeReader.ReadRequest(Utf8(Request(ProtocolVersion + Issue + MessageId + Service + Client)), XmlLimits.Default).Value!;
        var echo = request.Header! with { RequestHash = "AAAA" };

        var bytes = SoapMessageWriter.WriteResponse(echo, "getPatientResponse", "http://hospital.example/prod", w =>
        {
            w.WriteStartElement("prod", "name", "http://hospital.example/prod");
            w.WriteString("A & B");
            w.WriteEndElement();
        });

        var read = SoapEnvelopeReader.ReadResponse(bytes, XmlLimits.Default);
        Assert.True(read.Success, read.Message);
        Assert.Equal(["protocolVersion", "issue", "id", "service", "client", "requestHash"], read.Value.Header!.Order);
        Assert.Equal("AAAA", read.Value.Header.RequestHash);
        Assert.Equal(SoapRequestHash.AlgorithmId, read.Value.Header.RequestHashAlgorithm);
        Assert.Equal(request.Header with { RequestHash = "AAAA", RequestHashAlgorithm = SoapRequestHash.AlgorithmId, Order = read.Value.Header.Order }, read.Value.Header);
        Assert.Equal("getPatientResponse", read.Value.BodyLocalName);
        Assert.Contains("A &amp; B", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public void WriteRequest_NeverWritesRequestHash()
    {
        var bytes = SoapMessageWriter.WriteRequest(Full with { RequestHash = "AAAA" }, "listMethods", Xrd, _ => { });

        Assert.True(SoapEnvelopeReader.ReadRequest(bytes, XmlLimits.Default).Success);
    }

    [Fact]
    public void WriteResponse_EmptyNamespaceBody_HasNoPrefix()
    {
        var bytes = SoapMessageWriter.WriteResponse(Full, "answer", string.Empty, _ => { });

        var read = SoapEnvelopeReader.ReadResponse(bytes, XmlLimits.Default);
        Assert.True(read.Success, read.Message);
        Assert.Equal(string.Empty, read.Value.BodyNamespace);
        Assert.Contains("<answer", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }
}
