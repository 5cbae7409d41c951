// The Listes360 GraphiQL page: the pinned graphiql package, bundled offline by build.mjs.
// Every request goes to this server's /graphql endpoint with the headers of the "Headers" tab,
// where the user pastes `"Authorization": "Bearer <jeton>"`.
import React from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import 'graphiql/style.css';
import './page.css';

const container = document.getElementById('graphiql');
const endpoint = new URL(container.dataset.endpoint || '/graphql', window.location.href).toString();

const fetcher = createGraphiQLFetcher({ url: endpoint, enableIncrementalDelivery: false });

const defaultHeaders = JSON.stringify({ Authorization: 'Bearer COLLEZ_ICI_LE_JETON' }, null, 2);

const defaultQuery = `# Listes360 — GraphiQL (développement seulement)
#
# 1. Jeton : ./listes360 token --role admin
# 2. Onglet « Headers » (en bas) : remplacez
#    COLLEZ_ICI_LE_JETON par ce jeton.
# 3. Rechargez le schéma (⟳, en bas à gauche)
#    pour l'autocomplétion et la documentation.
# 4. Exécutez (Ctrl-Entrée).

{
  __typename
}
`;

createRoot(container).render(
  <GraphiQL
    fetcher={fetcher}
    defaultHeaders={defaultHeaders}
    defaultQuery={defaultQuery}
    defaultEditorToolsVisibility="headers"
    isHeadersEditorEnabled
    shouldPersistHeaders={false}
    schemaDescription
  />,
);
