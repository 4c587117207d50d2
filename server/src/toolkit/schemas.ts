import { z } from 'zod';
import type { McpToolProperty } from '@azure/functions';
import type { ToolDefinition } from './tool';

/** What the schemas are made from: the tool's name and arguments, whatever it runs with. */
type ToolArguments = Pick<ToolDefinition<unknown>, 'name' | 'input'>;

/** The JSON Schema of a tool's arguments, as `tools/list` publishes it. */
export interface ObjectJsonSchema {
  type: 'object';
  properties: Record<string, PropertyJsonSchema>;
  required?: string[];
  [keyword: string]: unknown;
}

interface PropertyJsonSchema {
  type?: string;
  description?: string;
  items?: PropertyJsonSchema;
  [keyword: string]: unknown;
}

export function inputJsonSchema(tool: ToolArguments): ObjectJsonSchema {
  // draft-07 is what most MCP clients validate with; `$schema` is dropped because some clients reject it.
  const { $schema: _ignored, ...schema } = z.toJSONSchema(tool.input, { target: 'draft-07', io: 'input' });
  return {
    ...schema,
    type: 'object',
    properties: (schema.properties ?? {}) as Record<string, PropertyJsonSchema>,
  };
}

const functionsPropertyTypes = new Set(['string', 'number', 'integer', 'boolean', 'object']);

/**
 * The Functions MCP extension describes arguments as a flat list of typed properties, derived
 * here from the same zod schema so the two hosts can never disagree about a tool's inputs.
 */
export function functionsToolProperties(tool: ToolArguments): McpToolProperty[] {
  const schema = inputJsonSchema(tool);
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties).map(([propertyName, property]) => {
    const isArray = property.type === 'array';
    const elementType = (isArray ? property.items?.type : property.type) ?? 'string';
    if (!functionsPropertyTypes.has(elementType)) {
      throw new Error(
        `Tool ${tool.name}: argument "${propertyName}" has type "${elementType}", which Functions MCP tools cannot declare.`,
      );
    }
    return {
      propertyName,
      propertyType: elementType,
      description: property.description ?? '',
      isRequired: required.has(propertyName),
      isArray,
    };
  });
}
