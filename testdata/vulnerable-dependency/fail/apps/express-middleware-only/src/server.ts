import express from 'express'
import { clerkMiddleware } from '@clerk/express'
import { users } from './users'

// `clerkMiddleware()` runs for every request, from the module body.
const app = express()
app.use(clerkMiddleware())
app.use('/users', users)

app.listen(3000)
