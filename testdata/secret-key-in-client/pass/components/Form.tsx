'use client'
// Server actions cross as references: app/actions.ts stays on the server.
import { save } from '../app/actions'
export const Form = () => <form action={save} />
