// The settings: defaults and scopes as declared, read through the typed configuration module, and a workspace
// .vscode/settings.json that cannot redirect the endpoint, the profile or the authentication.
import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { DEFAULTS } from '../../src/core/settings';
import { Configuration, type ConfigurationHost } from '../../src/vscode/configuration';
import { APPLICATION_SETTINGS, EXTENSION_ID, SECTION, Settings } from '../../src/vscode/constants';
import { extensionApi, useTestEnvironment, waitFor, type TestEnvironment } from './environment';

interface Property {
  type: string;
  default: unknown;
  scope?: string;
  markdownDescription?: string;
  enum?: string[];
  enumDescriptions?: string[];
}

function declared(): Record<string, Property> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
  return (ext.packageJSON as { contributes: { configuration: { properties: Record<string, Property> } } }).contributes.configuration.properties;
}

suite('settings', () => {
  let env: TestEnvironment;
  suiteSetup(async () => {
    env = await useTestEnvironment();
  });

  test('package.json declares every setting the configuration module reads, with descriptions', () => {
    const props = declared();
    const keys = Object.keys(props).map((k) => k.replace(`${SECTION}.`, '')).sort();
    assert.deepEqual(keys, Object.values(Settings).sort());
    for (const [key, p] of Object.entries(props)) {
      assert.ok(p.markdownDescription && !p.markdownDescription.startsWith('%'), `${key} has a (localized) markdownDescription`);
      if (p.enum) assert.equal(p.enumDescriptions?.length, p.enum.length, `${key} describes every enum value`);
    }
    assert.deepEqual(props['bedrockGpt.reasoningEffort'].enum, ['none', 'minimal', 'low', 'medium', 'high', 'xhigh']);
    assert.deepEqual(props['bedrockGpt.authentication'].enum, ['awsProfile', 'apiKey']);
  });

  test('defaults: declared, seen by VS Code, and returned by the configuration module', async () => {
    const props = declared();
    const config = vscode.workspace.getConfiguration(SECTION);
    const api = await extensionApi();
    const snapshot = api.configuration.snapshot();
    for (const key of Object.values(Settings)) {
      const p = props[`${SECTION}.${key}`];
      assert.deepEqual(p.default, DEFAULTS[key], `package.json default of ${key}`);
      assert.deepEqual(config.inspect(key)?.defaultValue, DEFAULTS[key], `VS Code's default of ${key}`);
      // The suites set some user values (the endpoint points at the stand-in): the module returns those, else the default.
      const user = config.inspect(key)?.globalValue;
      assert.deepEqual(snapshot[key], user ?? DEFAULTS[key], `configuration module's value of ${key}`);
    }
    assert.equal(DEFAULTS.region, 'us-east-2');
    assert.equal(DEFAULTS.model, 'openai.gpt-5.5');
    assert.equal(DEFAULTS.reasoningEffort, 'medium');
    assert.equal(DEFAULTS.tokenLifetimeSeconds, 43200);
  });

  test('endpoint, profile and authentication are application-scoped; the rest are not', () => {
    const props = declared();
    for (const key of Object.values(Settings)) {
      const scope = props[`${SECTION}.${key}`].scope;
      if (APPLICATION_SETTINGS.includes(key)) assert.equal(scope, 'application', `${key} has "scope": "application"`);
      else assert.notEqual(scope, 'application', `${key} may be set per workspace`);
    }
    assert.deepEqual([...APPLICATION_SETTINGS].sort(), ['authentication', 'endpoint', 'profile']);
  });

  test('a user setting change fires one event naming the changed key', async () => {
    const api = await extensionApi();
    const seen: boolean[] = [];
    const sub = api.configuration.onDidChange((e) => seen.push(e.affects('reasoningEffort') && !e.affects('model')));
    try {
      await api.configuration.update('reasoningEffort', 'high');
      await waitFor('the change event', () => seen.length > 0);
      assert.deepEqual(seen, [true]);
      assert.equal(api.configuration.get('reasoningEffort'), 'high');
    } finally {
      sub.dispose();
      await api.configuration.update('reasoningEffort', undefined);
    }
  });

  test('a workspace .vscode/settings.json that sets bedrockGpt.endpoint has no effect', async () => {
    const api = await extensionApi();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the test runs in a workspace folder');
    const userEndpoint = env.endpointTemplate;
    await api.configuration.update('endpoint', userEndpoint);
    await waitFor('the user endpoint', () => api.configuration.get('endpoint') === userEndpoint);
    await api.configuration.update('profile', 'user-profile');
    const dir = join(folder.uri.fsPath, '.vscode');
    const file = join(dir, 'settings.json');
    const before = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    mkdirSync(dir, { recursive: true });
    const changed = new Promise<void>((resolve) => {
      const sub = vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('bedrockGpt.developerPrompt')) {
          sub.dispose();
          resolve();
        }
      });
    });
    writeFileSync(
      file,
      JSON.stringify({
        'bedrockGpt.endpoint': 'https://attacker.example/openai/v1',
        'bedrockGpt.profile': 'attacker',
        'bedrockGpt.authentication': 'apiKey',
        // A window-scoped setting in the same file, to know when VS Code has read the file.
        'bedrockGpt.developerPrompt': 'from the workspace',
      }),
    );
    try {
      await Promise.race([changed, new Promise((_, fail) => setTimeout(() => fail(new Error('VS Code did not pick up the workspace settings')), 10_000))]);
      assert.equal(api.configuration.get('developerPrompt'), 'from the workspace', 'the workspace file was read');
      assert.equal(api.configuration.get('endpoint'), userEndpoint);
      assert.equal(api.configuration.get('profile'), 'user-profile');
      assert.equal(api.configuration.get('authentication'), 'awsProfile');
      const inspected = vscode.workspace.getConfiguration(SECTION).inspect<string>('endpoint');
      console.log(`  workspace endpoint as VS Code reports it: ${JSON.stringify(inspected?.workspaceValue)}; module returns the user value`);
    } finally {
      if (before === undefined) rmSync(file, { force: true });
      else writeFileSync(file, before);
      await api.configuration.update('profile', undefined);
    }
  });

  test('the module ignores workspace values of application settings even if a host reported them', () => {
    // Belt and braces: a host that ignored "scope": "application" would still not redirect the token.
    const values: Record<string, { globalValue?: unknown; workspaceValue?: unknown; workspaceFolderValue?: unknown; defaultValue?: unknown }> = {
      endpoint: { defaultValue: '', workspaceValue: 'https://attacker.example/v1', workspaceFolderValue: 'https://attacker.example/v2' },
      profile: { defaultValue: '', globalValue: 'mine', workspaceValue: 'attacker' },
      authentication: { defaultValue: 'awsProfile', workspaceValue: 'apiKey' },
      region: { defaultValue: 'us-east-2', workspaceValue: 'attacker.example#' },
    };
    const host: ConfigurationHost = {
      getConfiguration: () =>
        ({
          inspect: (key: string) => ({ key, ...values[key] }),
          get: (key: string) => {
            const v = values[key];
            return v ? (v.workspaceFolderValue ?? v.workspaceValue ?? v.globalValue ?? v.defaultValue) : DEFAULTS[key as keyof typeof DEFAULTS];
          },
        }) as unknown as vscode.WorkspaceConfiguration,
      onDidChangeConfiguration: () => ({ dispose() {} }),
    };
    const config = new Configuration(host);
    try {
      assert.equal(config.get('endpoint'), '');
      assert.equal(config.get('profile'), 'mine');
      assert.equal(config.get('authentication'), 'awsProfile');
      assert.equal(config.get('region'), 'us-east-2', 'a region that is not a region id falls back to the default');
    } finally {
      config.dispose();
    }
  });
  test('proxy: the extension takes HTTPS_PROXY / NO_PROXY only while VS Code\'s own http.proxy is empty', async () => {
    const env = { HTTPS_PROXY: 'http://proxy.corp:3128', no_proxy: '.corp', AWS_BEDROCK_BASE_URL: 'https://elsewhere.example/v1', AWS_PROFILE: 'dev' };
    // This VS Code has no http.proxy: only the proxy variables go to createClient (never the endpoint variable).
    assert.equal(vscode.workspace.getConfiguration('http').get('proxy'), '');
    assert.deepEqual((await extensionApi()).configuration.clientEnv(env), { HTTPS_PROXY: 'http://proxy.corp:3128', no_proxy: '.corp' });
    // With http.proxy set, VS Code's patched fetch does the proxying; createClient gets no proxy of its own.
    const withProxy = (proxy: unknown): ConfigurationHost => ({
      getConfiguration: (section?: string) => ({ get: (key: string) => (section === 'http' && key === 'proxy' ? proxy : undefined) }) as unknown as vscode.WorkspaceConfiguration,
      onDidChangeConfiguration: () => ({ dispose() {} }),
    });
    for (const [proxy, expected] of [['http://vscode.proxy:8080', {}], ['  ', { HTTPS_PROXY: 'http://proxy.corp:3128', no_proxy: '.corp' }]] as const) {
      const config = new Configuration(withProxy(proxy));
      try {
        assert.deepEqual(config.clientEnv(env), expected);
      } finally {
        config.dispose();
      }
    }
  });
});
