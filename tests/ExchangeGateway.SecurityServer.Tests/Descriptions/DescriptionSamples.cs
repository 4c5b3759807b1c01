namespace ExchangeGateway.SecurityServer.Tests.Descriptions;

/// <summary>Small WSDL and OpenAPI documents for the description tests.</summary>
internal static class DescriptionSamples
{
    /// <summary>A WSDL with a SOAP 1.1 and a SOAP 1.2 binding over the given operations (name, version or null).</summary>
    public static string Wsdl(string address = "http://127.0.0.1:9000/soap", params (string Name, string? Version)[] operations)
    {
        if (operations.Length == 0)
        {
            operations = [("getPatient", "v1"), ("ping", null)];
        }

        string Ops() => string.Concat(operations.Select(o => $"""
                <wsdl:operation name="{o.Name}">
                  <soap:operation soapAction=""/>
                  {(o.Version is null ? string.Empty : $"<xrd:version>{o.Version}</xrd:version>")}
                  <wsdl:input><soap:body use="literal"/></wsdl:input>
                  <wsdl:output><soap:body use="literal"/></wsdl:output>
                </wsdl:operation>
            """));

        return $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/"
                xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
                xmlns:soap12="http://schemas.xmlsoap.org/wsdl/soap12/"
                xmlns:xrd="http://x-road.eu/xsd/xroad.xsd"
                xmlns:tns="http://example.org/hospital" targetNamespace="http://example.org/hospital">
              <wsdl:portType name="HospitalPort"/>
              <wsdl:binding name="HospitalSoap11" type="tns:HospitalPort">
                <soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
                {Ops()}
              </wsdl:binding>
              <wsdl:binding name="HospitalSoap12" type="tns:HospitalPort">
                <soap12:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
                {Ops()}
              </wsdl:binding>
              <wsdl:service name="HospitalService">
                <wsdl:port name="HospitalSoap11" binding="tns:HospitalSoap11">
                  <soap:address location="{address}"/>
                </wsdl:port>
              </wsdl:service>
            </wsdl:definitions>
            """;
    }

    public const string OpenApiJson = """
        {
          "openapi": "3.0.3",
          "info": { "title": "Pets", "version": "1" },
          "servers": [ { "url": "http://127.0.0.1:9000/api" }, { "url": "http://other" } ],
          "paths": {
            "/pets": { "get": {}, "post": {}, "parameters": [] },
            "/pets/{petId}": { "summary": "one", "get": {}, "delete": {} },
            "/pets/{petId}/photo.{ext}": { "put": {} }
          }
        }
        """;

    public const string OpenApiYaml = """
        openapi: 3.1.0
        info:
          title: Pets
          version: '1'
        servers:
          - url: http://127.0.0.1:9000/api
        paths:
          /pets:
            get:
              responses:
                '200':
                  description: ok
          /pets/{petId}:
            patch: {}
        """;
}
