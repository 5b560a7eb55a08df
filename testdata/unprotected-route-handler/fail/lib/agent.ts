import { createMcpHandler, withMcpAuth } from 'mcp-handler'
import { readBearer } from './mcp-token'

export function agentEndpoint() {
  const tools = createMcpHandler((server) => {
    server.tool('ping', 'Answers pong', {}, async () => ({ content: [{ type: 'text', text: 'pong' }] }))
  })
  // Scopes are checked only when a token is given; none is required.
  return withMcpAuth(tools, readBearer, { requiredScopes: ['agent'] })
}
