export * from './TeamGate'
