import type { CodegenConfig } from '@graphql-codegen/cli';

// Types for the operations in src/, from the server's printed schema.
const config: CodegenConfig = {
  schema: '../../schema/schema.graphql',
  documents: ['src/**/*.ts', '!src/gql/**'],
  ignoreNoDocuments: false,
  // Imports ending in `.js`, as Node's ES modules need.
  emitLegacyCommonJSImports: false,
  generates: {
    'src/gql/': {
      preset: 'client',
      config: {
        // `Date` is a `YYYY-MM-DD` string on the wire; without this it would be typed `unknown`.
        scalars: { Date: 'string' },
        documentMode: 'string',
        useTypeImports: true,
        enumsAsTypes: true,
      },
      presetConfig: { fragmentMasking: false },
    },
  },
};

export default config;
