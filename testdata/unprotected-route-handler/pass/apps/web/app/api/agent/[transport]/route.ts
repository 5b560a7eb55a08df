import { agentEndpoint } from '@acme/agent-tools'

const endpoint = agentEndpoint()

export { endpoint as GET, endpoint as POST }
