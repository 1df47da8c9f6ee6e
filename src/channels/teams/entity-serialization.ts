// Keeps custom properties on outgoing activity entities. botframework-connector declares the Entity
// model with only `type`, `text` and `mentioned`; the Activity mapper allows extra properties inline,
// but the installed @azure/core-client serializes array elements with the named model mapper, which
// drops everything else. Teams' citation entity (`@type`, `@context`, `citation`, `additionalType` …)
// would reach Teams as a bare `{ type }`. Allowing additional properties on the named Entity mapper
// restores what the Activity mapper already intends. The Teams tests assert the entity arrives whole.
import { createRequire } from 'node:module';
import { TeamsConnectorMappers } from 'botframework-connector';

interface CompositeMapper {
  type: { name: string; additionalProperties?: { type: { name: string } } };
}

const require = createRequire(import.meta.url);

function allowAdditionalProperties(mapper: CompositeMapper | undefined): void {
  if (mapper?.type.name === 'Composite' && mapper.type.additionalProperties === undefined) {
    mapper.type.additionalProperties = { type: { name: 'Object' } };
  }
}

/** Idempotent; call once before sending activities. */
export function keepCustomEntityProperties(): void {
  // The connector's own model mappers are not exported from the package index.
  const connectorMappers = require('botframework-connector/lib/connectorApi/models/mappers') as Record<string, CompositeMapper>;
  allowAdditionalProperties(connectorMappers.Entity);
  allowAdditionalProperties((TeamsConnectorMappers as unknown as Record<string, CompositeMapper>).Entity);
}
