// Writes src/models.ts from docs/openapi.json: one interface per schema, named as sdks/schema-names.json says.
// `npm run generate` after the document changes; test/models.test.mjs fails while the two differ.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

export function generateModels(document, names) {
  const schemas = document.components.schemas;
  const refName = (ref) => names[ref.replace('#/components/schemas/', '')];
  const literal = (value) => (value === null ? 'null' : JSON.stringify(value));

  function type(schema, indent) {
    if (schema.$ref) return refName(schema.$ref);
    if (schema.oneOf) return schema.oneOf.map((s) => type(s, indent)).join(' | ');
    if (schema.const !== undefined) return literal(schema.const);
    if (schema.enum) return schema.enum.map(literal).join(' | ');
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    return types.map((t) => {
      switch (t) {
        case 'string': return 'string';
        case 'integer': case 'number': return 'number';
        case 'boolean': return 'boolean';
        case 'null': return 'null';
        case 'array': {
          const item = type(schema.items ?? {}, indent);
          return item.includes(' ') ? `Array<${item}>` : `${item}[]`;
        }
        case 'object': return objectType(schema, indent);
        default: return 'unknown';
      }
    }).join(' | ');
  }

  function objectType(schema, indent) {
    if (!schema.properties) {
      if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
        return `Record<string, ${type(schema.additionalProperties, indent)}>`;
      }
      return 'Record<string, unknown>';
    }
    const required = new Set(schema.required ?? []);
    const inner = indent + '  ';
    const lines = Object.entries(schema.properties).map(([name, property]) => {
      const doc = property.description ? `${inner}/** ${property.description} */\n` : '';
      return `${doc}${inner}${name}${required.has(name) ? '' : '?'}: ${type(property, inner)};`;
    });
    return `{\n${lines.join('\n')}\n${indent}}`;
  }

  const out = [
    '// Generated from docs/openapi.json by scripts/generate-models.mjs: do not edit by hand.',
    '',
  ];
  for (const [schemaName, name] of Object.entries(names)) {
    const schema = schemas[schemaName];
    if (schema.description) out.push(`/** ${schema.description} */`);
    out.push(`export interface ${name} ${objectType(schema, '')}`, '');
  }
  return out.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const document = JSON.parse(readFileSync(here('../../../docs/openapi.json'), 'utf8'));
  const { names } = JSON.parse(readFileSync(here('../../schema-names.json'), 'utf8'));
  writeFileSync(here('../src/models.ts'), generateModels(document, names));
  console.log('wrote src/models.ts');
}
