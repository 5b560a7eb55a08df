import { verifyClerkToken } from '@clerk/mcp-tools/next'
import { auth } from '@clerk/nextjs/server'
import { createMcpHandler, withMcpAuth } from 'mcp-handler'

const mcp = createMcpHandler((server) => {
  server.tool('whoami', 'The signed-in user', {}, async (_args, { authInfo }) => ({
    content: [{ type: 'text', text: String(authInfo?.extra?.userId) }],
  }))
})

// `required: true`: without a token `verify` accepts, the wrapper answers 401.
const guarded = withMcpAuth(
  mcp,
  async (_req, bearer) => verifyClerkToken(await auth({ acceptsToken: 'oauth_token' }), bearer),
  { resourceMetadataPath: '/.well-known/oauth-protected-resource/mcp', required: true },
)

export { guarded as GET, guarded as POST }
