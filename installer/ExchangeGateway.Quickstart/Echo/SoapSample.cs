using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Common.Soap;
using ExchangeGateway.Quickstart.Federation;

namespace ExchangeGateway.Quickstart.Echo;

/// <summary>The consumer's requests to the SOAP sample, as a client information system would send them to ss1's client proxy.</summary>
internal static class SoapSample
{
    /// <summary>helloService v1 from the consumer subsystem, with the four mandatory X-Road header fields.</summary>
    public static byte[] HelloRequest(string messageId, string name) =>
        SoapMessageWriter.WriteRequest(
            Header(EchoSoapService.HelloService, messageId),
            EchoSoapService.HelloService,
            EchoSoapService.Namespace,
            w => w.WriteElementString("name", EchoSoapService.Namespace, name));

    /// <summary>The header fields in X-Road's usual order: client, service, id, protocolVersion.</summary>
    public static SoapHeader Header(string serviceCode, string messageId) => new()
    {
        Client = ClientId.Parse(FederationPlan.ConsumerClient),
        Service = ServiceId.Parse(FederationPlan.SoapServiceId(serviceCode)),
        Id = messageId,
        Order = ["client", "service", "id", "protocolVersion"],
    };
}
