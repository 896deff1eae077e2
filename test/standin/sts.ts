/**
 * A tiny STS on 127.0.0.1 that answers AssumeRole and AssumeRoleWithWebIdentity (the AWS query protocol, XML) so
 * assume-role and web-identity profiles can be resolved offline. The AWS SDK reaches it through
 * AWS_ENDPOINT_URL_STS. Issued keys are added to TEST_KEYS, so tokens signed with them verify in the Bedrock
 * stand-in until they expire.
 *
 * AssumeRole must be signed by a known key. AssumeRoleWithWebIdentity is unsigned (the web identity token is the
 * proof); a token containing "invalid" is refused with InvalidIdentityToken, as STS refuses a token it cannot
 * validate. For either, a role ARN containing "denied" is refused with AccessDenied.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mintSessionKey, TEST_KEYS } from './keys';

export interface AssumeRoleCall {
  action: 'AssumeRole' | 'AssumeRoleWithWebIdentity';
  roleArn: string;
  roleSessionName: string;
  durationSeconds: number;
  /** The access key that signed the request: shows which source credentials the SDK used. */
  callerAccessKeyId: string | undefined;
  /** Whether the request carried an Authorization header at all (AssumeRoleWithWebIdentity is sent unsigned). */
  signed: boolean;
  /** AssumeRoleWithWebIdentity only: the token as received (a test value, never a real one). */
  webIdentityToken?: string;
  issuedAccessKeyId?: string;
}

export interface StsStandin {
  url: string;
  calls: AssumeRoleCall[];
  close(): Promise<void>;
}

const xmlEscape = (s: string) => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

function errorXml(code: string, message: string): string {
  return `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code>` +
    `<Message>${xmlEscape(message)}</Message></Error><RequestId>standin</RequestId></ErrorResponse>`;
}

export async function startStsStandin(): Promise<StsStandin> {
  const calls: AssumeRoleCall[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const form = new URLSearchParams(body);
      const auth = req.headers.authorization ?? '';
      const callerAccessKeyId = /Credential=([^/]+)\//.exec(auth)?.[1];
      const reply = (status: number, xml: string) => {
        res.writeHead(status, { 'content-type': 'text/xml' });
        res.end(xml);
      };
      const action = form.get('Action');
      if (action !== 'AssumeRole' && action !== 'AssumeRoleWithWebIdentity') {
        return reply(400, errorXml('InvalidAction', 'Only AssumeRole and AssumeRoleWithWebIdentity are served.'));
      }
      const call: AssumeRoleCall = {
        action,
        roleArn: form.get('RoleArn') ?? '',
        roleSessionName: form.get('RoleSessionName') ?? '',
        durationSeconds: Number(form.get('DurationSeconds') ?? 3600),
        callerAccessKeyId,
        signed: auth !== '',
        ...(action === 'AssumeRoleWithWebIdentity' && { webIdentityToken: form.get('WebIdentityToken') ?? '' }),
      };
      calls.push(call);
      if (action === 'AssumeRole' && !TEST_KEYS.some((k) => k.accessKeyId === callerAccessKeyId)) {
        // Only known source keys may assume a role.
        return reply(403, errorXml('InvalidClientTokenId', 'The security token included in the request is invalid.'));
      }
      if (action === 'AssumeRoleWithWebIdentity' && (!call.webIdentityToken || call.webIdentityToken.includes('invalid'))) {
        return reply(400, errorXml('InvalidIdentityToken', "Couldn't retrieve verification key from your identity provider."));
      }
      if (call.roleArn.includes('denied')) {
        return reply(403, errorXml('AccessDenied', `User is not authorized to perform: sts:${action} on ${call.roleArn}`));
      }
      const expiration = new Date(Date.now() + call.durationSeconds * 1000);
      const key = mintSessionKey(expiration.getTime());
      call.issuedAccessKeyId = key.accessKeyId;
      const roleName = call.roleArn.split('/').pop() ?? 'role';
      const extra = action === 'AssumeRoleWithWebIdentity'
        ? '<SubjectFromWebIdentityToken>standin-subject</SubjectFromWebIdentityToken><Provider>standin-idp</Provider>'
        : '';
      reply(200,
        `<${action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><${action}Result>${extra}` +
        `<AssumedRoleUser><AssumedRoleId>AROASTANDIN:${xmlEscape(call.roleSessionName)}</AssumedRoleId>` +
        `<Arn>arn:aws:sts::123456789012:assumed-role/${xmlEscape(roleName)}/${xmlEscape(call.roleSessionName)}</Arn></AssumedRoleUser>` +
        `<Credentials><AccessKeyId>${key.accessKeyId}</AccessKeyId><SecretAccessKey>${xmlEscape(key.secretAccessKey)}</SecretAccessKey>` +
        `<SessionToken>${xmlEscape(key.sessionToken ?? '')}</SessionToken><Expiration>${expiration.toISOString()}</Expiration></Credentials>` +
        `</${action}Result><ResponseMetadata><RequestId>standin</RequestId></ResponseMetadata></${action}Response>`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
