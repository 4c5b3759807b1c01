#!/usr/bin/env node
// A real third-party SOAP client (the npm "soap" package, pinned in package.json) against the gateway:
//   1. POSTs an X-Road 4.0 getWsdl request for the service through the consumer's client proxy;
//   2. takes the WSDL out of the multipart/related answer (the part after the SOAP part) and saves it;
//   3. builds a "soap" client from that file with endpoint = the client proxy, adds the X-Road header
//      fields with addSoapHeader, and calls the operation (helloService);
//   4. prints one line of JSON with what came back. Exit code 0 only if every step worked.
//
// usage: node soap-client.mjs --proxy http://127.0.0.1:8080 --client DEV/GOV/70000001/consumer
//          --service DEV/ORG/70000002/provider/helloService/v1 [--name World] [--out DIR]
//          [--wsdl-url URL] [--endpoint URL] [--timeout-ms 30000]
//   --wsdl-url  fetch the WSDL from this URL instead of getWsdl (to try the client against a provider directly)
//   --endpoint  where the operation is sent (default --proxy)
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import soap from 'soap';

const XRD = 'http://x-road.eu/xsd/xroad.xsd';
const ID = 'http://x-road.eu/xsd/identifiers';
const SOAPENV = 'http://schemas.xmlsoap.org/soap/envelope/';

function fail(step, message, extra = {}) {
  console.log(JSON.stringify({ ok: false, step, error: message, ...extra }));
  process.exit(1);
}

function parseArgs(argv) {
  const options = { name: 'World', timeoutMs: 30000 };
  const names = { '--proxy': 'proxy', '--client': 'client', '--service': 'service', '--name': 'name', '--out': 'out',
    '--wsdl-url': 'wsdlUrl', '--endpoint': 'endpoint', '--timeout-ms': 'timeoutMs' };
  for (let i = 0; i < argv.length; i += 2) {
    const key = names[argv[i]];
    if (!key || i + 1 >= argv.length) {
      fail('arguments', `unexpected or incomplete argument ${argv[i]}`);
    }
    options[key] = key === 'timeoutMs' ? Number(argv[i + 1]) : argv[i + 1];
  }
  for (const required of ['client', 'service']) {
    if (!options[required]) fail('arguments', `--${required} is required`);
  }
  if (!options.proxy && !(options.wsdlUrl && options.endpoint)) {
    fail('arguments', '--proxy is required (or both --wsdl-url and --endpoint)');
  }
  return options;
}

function escapeXml(text) {
  return String(text).replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]);
}

// INSTANCE/CLASS/MEMBER[/SUBSYSTEM] and INSTANCE/CLASS/MEMBER/SUBSYSTEM/CODE[/VERSION], as in federation.json.
function clientId(text) {
  const p = text.split('/');
  if (p.length < 3 || p.length > 4) fail('arguments', `not a client identifier: ${text}`);
  return { xRoadInstance: p[0], memberClass: p[1], memberCode: p[2], subsystemCode: p[3] };
}

function serviceId(text) {
  const p = text.split('/');
  if (p.length < 5 || p.length > 6) fail('arguments', `not a service identifier (INSTANCE/CLASS/MEMBER/SUBSYSTEM/CODE[/VERSION]): ${text}`);
  return { xRoadInstance: p[0], memberClass: p[1], memberCode: p[2], subsystemCode: p[3], serviceCode: p[4], serviceVersion: p[5] };
}

function identifierXml(element, objectType, parts) {
  const children = Object.entries(parts)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `<id:${name}>${escapeXml(value)}</id:${name}>`)
    .join('');
  return `<xrd:${element} xmlns:xrd="${XRD}" xmlns:id="${ID}" id:objectType="${objectType}">${children}</xrd:${element}>`;
}

// The X-Road header fields, each a complete element so it can go to addSoapHeader on its own.
function headerFields(client, service, messageId) {
  return [
    identifierXml('client', client.subsystemCode ? 'SUBSYSTEM' : 'MEMBER', client),
    identifierXml('service', 'SERVICE', service),
    `<xrd:id xmlns:xrd="${XRD}">${escapeXml(messageId)}</xrd:id>`,
    `<xrd:protocolVersion xmlns:xrd="${XRD}">4.0</xrd:protocolVersion>`,
  ];
}

function text(xml, localName) {
  const match = new RegExp(`<(?:[\\w.-]+:)?${localName}(?:\\s[^>]*)?>([^<]*)</(?:[\\w.-]+:)?${localName}>`).exec(xml);
  return match ? match[1] : undefined;
}

function describeFault(xml) {
  return `SOAP fault ${text(xml, 'faultcode') ?? '?'}: ${text(xml, 'faultstring') ?? '?'}`;
}

function parameter(contentType, name) {
  const match = new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]*))`, 'i').exec(contentType);
  return match ? (match[1] ?? match[2]) : undefined;
}

// RFC 2046 §5.1.1: parts between "--boundary" lines, the last closed by "--boundary--"; each part is
// headers, an empty line, then the body up to the CRLF before the next delimiter.
function splitMultipart(body, boundary) {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts = [];
  let at = body.indexOf(delimiter);
  if (at < 0) throw new Error(`no delimiter --${boundary} in the body`);
  for (let guard = 0; guard < 1000; guard++) {
    let start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') return parts;
    start = body.indexOf('\r\n', start) + 2;
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), start);
    if (next < 0) throw new Error('truncated multipart: no closing delimiter');
    const part = body.subarray(start, next);
    const split = part.indexOf('\r\n\r\n');
    const headerText = split < 0 ? part.toString('latin1') : part.subarray(0, split).toString('latin1');
    const headers = {};
    for (const line of headerText.split('\r\n').filter((l) => l.length > 0)) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    parts.push({ headers, body: split < 0 ? Buffer.alloc(0) : part.subarray(split + 4) });
    at = next + 2;
  }
  throw new Error('more than 1000 parts');
}

async function post(url, body, headers, timeoutMs) {
  const response = await fetch(url, { method: 'POST', body, headers, signal: AbortSignal.timeout(timeoutMs) });
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: Buffer.from(await response.arrayBuffer()) };
}

async function getWsdl(options, client, service) {
  const metaservice = { ...service, serviceCode: 'getWsdl', serviceVersion: undefined };
  // Indented as X-Road's documentation (PR-META) shows it. Note: on main as of this commit the server proxy
  // loses a serviceVersion that directly follows </xrd:serviceCode> with no whitespace between (reported).
  const version = service.serviceVersion === undefined ? '' : `
      <xrd:serviceVersion>${escapeXml(service.serviceVersion)}</xrd:serviceVersion>`;
  const request = `<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="${SOAPENV}" xmlns:xrd="${XRD}" xmlns:id="${ID}">
  <SOAP-ENV:Header>
    ${headerFields(client, metaservice, randomUUID()).join('\n    ')}
  </SOAP-ENV:Header>
  <SOAP-ENV:Body>
    <xrd:getWsdl>
      <xrd:serviceCode>${escapeXml(service.serviceCode)}</xrd:serviceCode>${version}
    </xrd:getWsdl>
  </SOAP-ENV:Body>
</SOAP-ENV:Envelope>
`;
  const answer = await post(options.proxy, request, { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: '""' }, options.timeoutMs);
  if (!answer.contentType.toLowerCase().startsWith('multipart/related')) {
    const xml = answer.body.toString('utf8');
    fail('getWsdl', `expected multipart/related, got HTTP ${answer.status} ${answer.contentType}: ${xml.includes('Fault') ? describeFault(xml) : xml.slice(0, 300)}`);
  }
  const boundary = parameter(answer.contentType, 'boundary');
  if (!boundary) fail('getWsdl', `multipart/related without a boundary: ${answer.contentType}`);
  const parts = splitMultipart(answer.body, boundary);
  const start = parameter(answer.contentType, 'start');
  const rootIndex = start ? parts.findIndex((p) => p.headers['content-id'] === start) : 0;
  const soapPart = parts[rootIndex < 0 ? 0 : rootIndex];
  const soapXml = soapPart.body.toString('utf8');
  if (/<(?:[\w.-]+:)?Fault[\s>]/.test(soapXml)) fail('getWsdl', describeFault(soapXml));
  if (!/getWsdlResponse/.test(soapXml)) fail('getWsdl', `the SOAP part is not a getWsdlResponse: ${soapXml.slice(0, 300)}`);
  const attachment = parts.find((p) => p !== soapPart);
  if (!attachment) fail('getWsdl', 'the answer has no attachment after the SOAP part');
  return { wsdl: attachment.body, parts: parts.length, contentType: answer.contentType, attachmentType: attachment.headers['content-type'] };
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const client = clientId(options.client);
  const service = serviceId(options.service);
  const out = options.out ?? mkdtempSync(join(tmpdir(), 'xgw-soap-client-'));
  const report = { ok: false, service: options.service };

  let wsdl;
  if (options.wsdlUrl) {
    const response = await fetch(options.wsdlUrl, { signal: AbortSignal.timeout(options.timeoutMs) });
    if (!response.ok) fail('wsdl', `GET ${options.wsdlUrl} answered ${response.status}`);
    wsdl = Buffer.from(await response.arrayBuffer());
    report.wsdlSource = options.wsdlUrl;
  } else {
    const fetched = await getWsdl(options, client, service);
    wsdl = fetched.wsdl;
    report.wsdlSource = 'getWsdl';
    report.getWsdl = { contentType: fetched.contentType, parts: fetched.parts, attachmentType: fetched.attachmentType };
  }
  if (!wsdl.includes('definitions')) fail('wsdl', `not a WSDL: ${wsdl.toString('utf8').slice(0, 200)}`);
  const wsdlPath = join(out, `${service.serviceCode}.wsdl`);
  writeFileSync(wsdlPath, wsdl);
  report.wsdlPath = wsdlPath;
  report.wsdlBytes = wsdl.length;

  const endpoint = options.endpoint ?? options.proxy;
  let soapClient;
  try {
    soapClient = await soap.createClientAsync(wsdlPath, { endpoint, disableCache: true });
  } catch (error) {
    fail('createClient', `the soap package could not read the WSDL: ${error.message}`, report);
  }
  const operations = Object.values(soapClient.describe()).flatMap((s) => Object.values(s).flatMap((p) => Object.keys(p)));
  report.operations = operations;
  if (!operations.includes(service.serviceCode)) fail('createClient', `the WSDL has no operation ${service.serviceCode}`, report);

  const messageId = randomUUID();
  for (const field of headerFields(client, service, messageId)) {
    soapClient.addSoapHeader(field);
  }

  let result;
  let rawResponse;
  try {
    [result, rawResponse] = await soapClient[`${service.serviceCode}Async`]({ name: options.name }, { timeout: options.timeoutMs });
  } catch (error) {
    const body = typeof error.body === 'string' ? error.body : '';
    fail('call', body.includes('Fault') ? describeFault(body) : `${error.message} ${body.slice(0, 300)}`, report);
  }

  report.endpoint = endpoint;
  report.messageId = messageId;
  report.echoedId = text(rawResponse, 'id');
  report.requestHash = text(rawResponse, 'requestHash') ?? null;
  report.greeting = result?.message;
  if (report.echoedId !== messageId) fail('call', `the response echoes xrd:id ${report.echoedId}, not ${messageId}`, report);
  if (typeof report.greeting !== 'string' || report.greeting.length === 0) fail('call', `no greeting in ${JSON.stringify(result)}`, report);
  report.ok = true;
  console.log(JSON.stringify(report));
}

main().catch((error) => fail('unexpected', error?.stack ?? String(error)));
