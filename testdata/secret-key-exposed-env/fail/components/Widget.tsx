'use client'
export default function Widget({ token }: { token?: string }) {
  return <div data-ready={Boolean(token)} />
}
