// A local Alibaba Cloud SMS for the browser tests (started by scripts/test-web.sh): SendSms, API 2017-05-25, RPC style.
// It checks each request as the provider documents it, on its own: the v1.0 HMAC-SHA1 signature recomputed here
// (RFC 3986 percent-encoding, sorted parameters, "POST&%2F&…", key "secret&"), the timestamp within 5 minutes, a nonce
// used once, the action and version. It de-duplicates on OutId (our message id) and shows what it sent at GET /_fake/sent.
// Usage: node e2e/fake-sms.mjs <port> <accessKeyId> <accessKeySecret>
import { createServer } from 'node:http';
import { createHmac, randomUUID } from 'node:crypto';

const [port, keyId, secret] = process.argv.slice(2);
const sent = [];
const byOutId = new Map();
const nonces = new Set();
const encode = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());

function answer(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/_fake/sent') return answer(res, 200, sent);
  let raw = '';
  req.on('data', (chunk) => (raw += chunk));
  req.on('end', () => {
    const params = Object.fromEntries(new URLSearchParams(raw));
    const requestId = randomUUID();
    const refuse = (status, code, message) => answer(res, status, { RequestId: requestId, Code: code, Message: message });
    if (params.AccessKeyId !== keyId) return refuse(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
    if (params.SignatureMethod !== 'HMAC-SHA1' || params.SignatureVersion !== '1.0') return refuse(400, 'InvalidSignatureMethod', 'unsupported');
    const at = Date.parse(params.Timestamp ?? '');
    if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(params.Timestamp ?? '') || Math.abs(Date.now() - at) > 5 * 60_000) {
      return refuse(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.');
    }
    const query = Object.keys(params).filter((k) => k !== 'Signature').sort()
      .map((k) => `${encode(k)}=${encode(params[k])}`).join('&');
    const expected = createHmac('sha1', `${secret}&`).update(`POST&${encode('/')}&${encode(query)}`).digest('base64');
    if (expected !== params.Signature) return refuse(400, 'SignatureDoesNotMatch', 'Specified signature is not matched with our calculation.');
    if (!params.SignatureNonce || nonces.has(params.SignatureNonce)) return refuse(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
    nonces.add(params.SignatureNonce);
    if (params.Action !== 'SendSms' || params.Version !== '2017-05-25') return refuse(400, 'InvalidAction.NotFound', 'Specified api is not found.');
    let templateParam;
    try {
      templateParam = JSON.parse(params.TemplateParam);
    } catch {
      return answer(res, 200, { RequestId: requestId, Code: 'isv.INVALID_PARAMETERS', Message: '参数异常' });
    }
    let sms = params.OutId ? byOutId.get(params.OutId) : undefined;
    if (!sms) {
      sms = { phone: params.PhoneNumbers, signName: params.SignName, templateCode: params.TemplateCode, params: templateParam, outId: params.OutId,
        bizId: randomUUID().replaceAll('-', '').slice(0, 20), at: new Date().toISOString() };
      sent.push(sms);
      if (params.OutId) byOutId.set(params.OutId, sms);
    }
    answer(res, 200, { RequestId: requestId, Code: 'OK', Message: 'OK', BizId: sms.bizId });
  });
}).listen(Number(port), '127.0.0.1', () => console.log(`fake Aliyun SMS on http://127.0.0.1:${port}/`));
