import { createFileRoute, redirect } from '@tanstack/react-router'

// Guards pages under /_authed; server route handlers never run `beforeLoad`.
export const Route = createFileRoute('/_authed')({
  beforeLoad: ({ context }) => {
    if (!(context as { userId?: string }).userId) throw redirect({ to: '/sign-in' })
  },
})
