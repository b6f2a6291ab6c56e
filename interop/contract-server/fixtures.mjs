// The official conformance suite's server contract (@modelcontextprotocol/conformance
// 0.1.16, see docs/interop/conformance-fixtures.md §5): the tools, resources and
// prompts its server scenarios call, as plain data and handlers over the
// low-level SDK Server, so every schema is exactly the one the suite checks.
import {
  CreateMessageResultSchema,
  ElicitResultSchema,
  ErrorCode,
  McpError,
} from '@modelcontextprotocol/sdk/types.js';

// Our own minimal payloads: a 1x1 red PNG and 4 samples of silent 8 kHz WAV.
export const PNG_1X1 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR42mP4z8AAAAMBAQD3A0FDAAAAAElFTkSuQmCC';
export const WAV_SILENCE =
  'UklGRiwAAABXQVZFZm10IBAAAAABAAEAQB8AAIA+AAACABAAZGF0YQgAAAAAAAAAAAAAAA==';

const STEP_MS = 50; // pause between a tool's notifications (incremental delivery)
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const text = (t) => ({ type: 'text', text: t });
const noArgs = { type: 'object', properties: {} };

const JSON_SCHEMA_2020_12 = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  $defs: {
    address: { type: 'object', properties: { street: { type: 'string' }, city: { type: 'string' } } },
  },
  properties: { name: { type: 'string' }, address: { $ref: '#/$defs/address' } },
  additionalProperties: false,
};

const SEP1034_SCHEMA = {
  type: 'object',
  properties: {
    name: { type: 'string', description: 'Name', default: 'John Doe' },
    age: { type: 'integer', description: 'Age', default: 30 },
    score: { type: 'number', description: 'Score', default: 95.5 },
    status: { type: 'string', description: 'Status', enum: ['active', 'inactive', 'pending'], default: 'active' },
    verified: { type: 'boolean', description: 'Verified', default: true },
  },
  required: [],
};

const SEP1330_SCHEMA = {
  type: 'object',
  properties: {
    untitledSingle: { type: 'string', enum: ['option1', 'option2', 'option3'] },
    titledSingle: {
      type: 'string',
      oneOf: [
        { const: 'value1', title: 'First Option' },
        { const: 'value2', title: 'Second Option' },
        { const: 'value3', title: 'Third Option' },
      ],
    },
    legacyEnum: { type: 'string', enum: ['opt1', 'opt2', 'opt3'], enumNames: ['Option One', 'Option Two', 'Option Three'] },
    untitledMulti: { type: 'array', items: { type: 'string', enum: ['option1', 'option2', 'option3'] } },
    titledMulti: {
      type: 'array',
      items: {
        anyOf: [
          { const: 'value1', title: 'First Choice' },
          { const: 'value2', title: 'Second Choice' },
          { const: 'value3', title: 'Third Choice' },
        ],
      },
    },
  },
  required: [],
};

// Sends a notification on the request's own stream, and an info log only at or
// above the level the session set (logging/setLevel).
async function logInfo(ctx, extra, data) {
  if (ctx.server.isMessageIgnored('info', extra.sessionId)) return;
  await extra.sendNotification({
    method: 'notifications/message',
    params: { level: 'info', logger: 'mcpwire-contract-server', data },
  });
}

async function elicit(extra, message, requestedSchema) {
  return extra.sendRequest({ method: 'elicitation/create', params: { message, requestedSchema } }, ElicitResultSchema);
}

const elicitationSummary = (r) => `action=${r.action}, content=${JSON.stringify(r.content ?? {})}`;

// name -> { description, inputSchema, run(args, extra, ctx) -> CallToolResult }
export const TOOLS = {
  test_simple_text: {
    description: 'Returns one text block',
    run: async () => ({ content: [text('This is a simple text response for testing.')] }),
  },
  test_image_content: {
    description: 'Returns one image block (a 1x1 PNG)',
    run: async () => ({ content: [{ type: 'image', data: PNG_1X1, mimeType: 'image/png' }] }),
  },
  test_audio_content: {
    description: 'Returns one audio block (silent WAV)',
    run: async () => ({ content: [{ type: 'audio', data: WAV_SILENCE, mimeType: 'audio/wav' }] }),
  },
  test_embedded_resource: {
    description: 'Returns one embedded text resource',
    run: async () => ({
      content: [{
        type: 'resource',
        resource: { uri: 'test://embedded-resource', mimeType: 'text/plain', text: 'This is an embedded resource content.' },
      }],
    }),
  },
  test_multiple_content_types: {
    description: 'Returns text, image and embedded resource blocks',
    run: async () => ({
      content: [
        text('Multiple content types test:'),
        { type: 'image', data: PNG_1X1, mimeType: 'image/png' },
        {
          type: 'resource',
          resource: { uri: 'test://mixed-content-resource', mimeType: 'application/json', text: '{"test":"data","value":123}' },
        },
      ],
    }),
  },
  test_tool_with_logging: {
    description: 'Sends three info log notifications about 50 ms apart, then its result',
    run: async (_args, extra, ctx) => {
      await logInfo(ctx, extra, 'Tool execution started');
      await sleep(STEP_MS);
      await logInfo(ctx, extra, 'Tool processing data');
      await sleep(STEP_MS);
      await logInfo(ctx, extra, 'Tool execution completed');
      return { content: [text('Tool with logging executed successfully')] };
    },
  },
  test_error_handling: {
    description: 'Returns a tool error result (isError: true)',
    run: async () => ({ isError: true, content: [text('This tool intentionally returns an error for testing')] }),
  },
  test_tool_with_progress: {
    description: 'Sends progress 0, 50, 100 of 100 about 50 ms apart when given a progress token, then its result',
    run: async (_args, extra) => {
      const progressToken = extra._meta?.progressToken;
      if (progressToken !== undefined) {
        for (const progress of [0, 50, 100]) {
          if (progress > 0) await sleep(STEP_MS);
          await extra.sendNotification({ method: 'notifications/progress', params: { progressToken, progress, total: 100 } });
        }
      }
      return { content: [text('Tool with progress executed successfully')] };
    },
  },
  test_sampling: {
    description: 'Asks the client for a sampling/createMessage with the given prompt',
    inputSchema: {
      type: 'object',
      properties: { prompt: { type: 'string', description: 'The prompt to send to the LLM' } },
      required: ['prompt'],
    },
    run: async (args, extra) => {
      const reply = await extra.sendRequest({
        method: 'sampling/createMessage',
        params: { messages: [{ role: 'user', content: text(String(args.prompt ?? '')) }], maxTokens: 100 },
      }, CreateMessageResultSchema);
      const said = reply.content?.type === 'text' ? reply.content.text : JSON.stringify(reply.content);
      return { content: [text(`LLM response: ${said}`)] };
    },
  },
  test_elicitation: {
    description: 'Asks the client for a username and an email (elicitation/create)',
    inputSchema: {
      type: 'object',
      properties: { message: { type: 'string', description: 'The message to show the user' } },
      required: ['message'],
    },
    run: async (args, extra) => {
      const reply = await elicit(extra, String(args.message ?? ''), {
        type: 'object',
        properties: {
          username: { type: 'string', description: "User's response" },
          email: { type: 'string', description: "User's email address" },
        },
        required: ['username', 'email'],
      });
      return { content: [text(`User response: ${elicitationSummary(reply)}`)] };
    },
  },
  json_schema_2020_12_tool: {
    description: 'Tool with JSON Schema 2020-12 features',
    inputSchema: JSON_SCHEMA_2020_12,
    run: async (args) => ({ content: [text(`Received: ${JSON.stringify(args)}`)] }),
  },
  test_elicitation_sep1034_defaults: {
    description: 'Elicitation whose fields carry defaults (SEP-1034)',
    run: async (_args, extra) => {
      const reply = await elicit(extra, 'Please review and update the form fields with defaults', SEP1034_SCHEMA);
      return { content: [text(`Elicitation completed: ${elicitationSummary(reply)}`)] };
    },
  },
  test_elicitation_sep1330_enums: {
    description: 'Elicitation with every enum form (SEP-1330)',
    run: async (_args, extra) => {
      const reply = await elicit(extra, 'Please select options from the enum fields', SEP1330_SCHEMA);
      return { content: [text(`Elicitation completed: ${elicitationSummary(reply)}`)] };
    },
  },
  test_reconnection: {
    description: 'Closes its SSE stream before the result when the SDK allows it (SSE polling), then answers',
    run: async (_args, extra) => {
      await sleep(STEP_MS);
      if (extra.closeSSEStream) extra.closeSSEStream();
      await sleep(2 * STEP_MS);
      return { content: [text('Reconnection test completed successfully')] };
    },
  },
};

export function listTools() {
  return Object.entries(TOOLS).map(([name, t]) => ({
    name,
    description: t.description,
    inputSchema: t.inputSchema ?? noArgs,
  }));
}

export async function callTool(ctx, request, extra) {
  const tool = TOOLS[request.params.name];
  if (!tool) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${request.params.name}`);
  return tool.run(request.params.arguments ?? {}, extra, ctx);
}

export const RESOURCES = [
  { uri: 'test://static-text', name: 'static-text', description: 'A static text resource', mimeType: 'text/plain' },
  { uri: 'test://static-binary', name: 'static-binary', description: 'A static binary resource (PNG)', mimeType: 'image/png' },
  { uri: 'test://watched-resource', name: 'watched-resource', description: 'A resource to subscribe to', mimeType: 'text/plain' },
];

export const RESOURCE_TEMPLATES = [
  { uriTemplate: 'test://template/{id}/data', name: 'template', description: 'Data for an id', mimeType: 'application/json' },
];

const TEMPLATE_URI = /^test:\/\/template\/([A-Za-z0-9._~-]+)\/data$/;

export function readResource(uri) {
  if (uri === 'test://static-text')
    return [{ uri, mimeType: 'text/plain', text: 'This is the content of the static text resource.' }];
  if (uri === 'test://static-binary') return [{ uri, mimeType: 'image/png', blob: PNG_1X1 }];
  if (uri === 'test://watched-resource') return [{ uri, mimeType: 'text/plain', text: 'Watched resource content.' }];
  const m = TEMPLATE_URI.exec(uri);
  if (m) {
    const id = m[1];
    return [{ uri, mimeType: 'application/json', text: JSON.stringify({ id, templateTest: true, data: `Data for ID: ${id}` }) }];
  }
  throw new McpError(-32002, `Resource not found: ${uri}`, { uri });
}

export const PROMPTS = [
  { name: 'test_simple_prompt', description: 'A prompt without arguments' },
  {
    name: 'test_prompt_with_arguments',
    description: 'A prompt with two required arguments',
    arguments: [
      { name: 'arg1', description: 'First test argument', required: true },
      { name: 'arg2', description: 'Second test argument', required: true },
    ],
  },
  {
    name: 'test_prompt_with_embedded_resource',
    description: 'A prompt that embeds a resource',
    arguments: [{ name: 'resourceUri', description: 'URI of the resource to embed', required: true }],
  },
  { name: 'test_prompt_with_image', description: 'A prompt with an image' },
];

function requireArgs(name, args, names) {
  for (const n of names)
    if (typeof args[n] !== 'string')
      throw new McpError(ErrorCode.InvalidParams, `Prompt ${name}: missing required argument ${n}`);
}

export function getPrompt(name, args = {}) {
  const user = (content) => ({ role: 'user', content });
  switch (name) {
    case 'test_simple_prompt':
      return { messages: [user(text('This is a simple prompt for testing.'))] };
    case 'test_prompt_with_arguments':
      requireArgs(name, args, ['arg1', 'arg2']);
      return { messages: [user(text(`Prompt with arguments: arg1='${args.arg1}', arg2='${args.arg2}'`))] };
    case 'test_prompt_with_embedded_resource':
      requireArgs(name, args, ['resourceUri']);
      return {
        messages: [
          user({ type: 'resource', resource: { uri: args.resourceUri, mimeType: 'text/plain', text: 'Embedded resource content for testing.' } }),
          user(text('Please process the embedded resource above.')),
        ],
      };
    case 'test_prompt_with_image':
      return {
        messages: [
          user({ type: 'image', data: PNG_1X1, mimeType: 'image/png' }),
          user(text('Please analyze the image above.')),
        ],
      };
    default:
      throw new McpError(ErrorCode.InvalidParams, `Unknown prompt: ${name}`);
  }
}

// completion/complete: values of the argument that start with what was typed.
const COMPLETIONS = { arg1: ['test-value-1', 'test-value-2', 'other'], arg2: ['alpha', 'beta'] };

export function complete(argument) {
  const values = (COMPLETIONS[argument?.name] ?? []).filter((v) => v.startsWith(String(argument?.value ?? '')));
  return { completion: { values, total: values.length, hasMore: false } };
}
