import { z } from 'zod';
import type { ApiRoute } from './api-route.js';
import { ErrorBodySchema } from './errors.js';

/**
 * The OpenAPI 3.1 document, generated from the route declarations: every path, parameter, body and
 * response schema comes from the zod schemas the routes validate with (OpenAPI 3.1 uses JSON Schema
 * 2020-12, which zod emits). Nothing here restates a schema; the layer's own answers (400 for an invalid
 * request, 401 on /api/v1, 413/415 for bodies) are added from what each route declares.
 */

export interface DocumentInfo {
  title: string;
  version: string;
  description: string;
}

type Json = Record<string, unknown>;

const REF = (name: string) => `#/components/schemas/${name}`;
const OPTIONS = { target: 'draft-2020-12', unrepresentable: 'any', uri: REF } as const;

/**
 * `shared`: schemas (of responses) that get a component name of their own even where they are only nested
 * in another response, so clients can refer to them (Job, MonitorEvent...).
 */
export function buildOpenApiDocument(routes: readonly ApiRoute[], info: DocumentInfo, shared: Record<string, z.ZodType> = {}): Json {
  // Named schemas become shared components; requests are described as clients send them (zod "input"),
  // responses as the server produces them ("output").
  const inputs = z.registry<{ id: string }>();
  const outputs = z.registry<{ id: string }>();
  const name = (registry: typeof inputs, schema: z.ZodType, id: string | undefined) => {
    if (id && !registry.has(schema)) registry.add(schema, { id });
  };
  name(outputs, ErrorBodySchema, 'Error');
  for (const [id, schema] of Object.entries(shared)) name(outputs, schema, id);
  for (const r of routes) {
    if (r.body) name(inputs, r.body, r.bodyName);
    name(outputs, r.response.schema, r.response.name);
  }
  const components: Json = {};
  for (const [registry, io] of [
    [inputs, 'input'],
    [outputs, 'output'],
  ] as const) {
    for (const [id, schema] of Object.entries(z.toJSONSchema(registry, { ...OPTIONS, io }).schemas)) {
      if (id in components) throw new Error(`schema name ${id} is used for two different schemas`);
      components[id] = clean(schema as Json);
    }
  }
  const ref = (registry: typeof inputs, schema: z.ZodType, io: 'input' | 'output'): Json => {
    const id = registry.get(schema)?.id;
    return id ? { $ref: REF(id) } : clean(z.toJSONSchema(schema, { ...OPTIONS, io }) as Json);
  };

  const paths: Record<string, Json> = {};
  for (const r of routes) {
    const path = r.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const parameters = [...parametersOf(r.params, 'path'), ...parametersOf(r.query, 'query')];
    const success = r.response;
    const content = { [success.contentType ?? 'application/json']: { schema: ref(outputs, success.schema, 'output') } };
    const headers = success.headers
      ? Object.fromEntries(Object.entries(success.headers).map(([h, d]) => [h, { description: d, schema: { type: 'string' } }]))
      : undefined;
    const responses: Record<string, Json> = {
      [String(success.status ?? 200)]: { description: success.description, ...(headers ? { headers } : {}), content },
    };
    for (const [status, description] of Object.entries(success.alsoStatus ?? {})) responses[status] = { description, content };
    const errors: Record<string, string> = {
      ...(r.params || r.query || r.body ? { 400: 'Invalid request (details list each problem)' } : {}),
      ...(r.auth === 'api' ? { 401: 'Missing or invalid Bearer token (or the API is disabled: VPN_DOCTOR_API_TOKEN unset)' } : {}),
      ...(r.body
        ? { 413: `Body larger than ${r.bodyLimit ? `${r.bodyLimit} bytes` : 'the server limit'}`, 415: 'Body is not application/json' }
        : {}),
      ...r.errors,
    };
    for (const [status, description] of Object.entries(errors)) {
      responses[status] = { description, content: { 'application/json': { schema: { $ref: REF('Error') } } } };
    }
    const operation: Json = {
      operationId: r.operationId,
      summary: r.summary,
      ...(r.description ? { description: r.description } : {}),
      ...(r.auth === 'none' ? { security: [] } : {}),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: ref(inputs, r.body, 'input') } } } } : {}),
      responses: Object.fromEntries(Object.entries(responses).sort(([a], [b]) => Number(a) - Number(b))),
    };
    paths[path] = { ...paths[path], [r.method.toLowerCase()]: operation };
  }

  return {
    openapi: '3.1.0',
    info,
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'VPN_DOCTOR_API_TOKEN' } },
      schemas: components,
    },
  };
}

/** Path or query parameters from a z.object declaration, one per key. */
function parametersOf(schema: z.ZodType | undefined, where: 'path' | 'query'): Json[] {
  if (!schema) return [];
  if (!(schema instanceof z.ZodObject)) throw new Error(`${where} parameters must be declared as z.object`);
  return Object.entries(schema.shape as Record<string, z.ZodType>).map(([key, field]) => {
    const json = clean(z.toJSONSchema(field, { ...OPTIONS, io: 'input' }) as Json);
    const description = typeof json.description === 'string' ? json.description : undefined;
    return {
      name: key,
      in: where,
      required: where === 'path' || !field.safeParse(undefined).success,
      ...(description ? { description } : {}),
      schema: json,
    };
  });
}

function clean(schema: Json): Json {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  return rest;
}
