import { getRequestListener } from '@hono/node-server'
import { clerkMiddleware } from '@clerk/hono'
import express from 'express'
import { Hono } from 'hono'

// A Hono API served through an Express server: its routes are Hono's, not Express's.
const app = new Hono()
app.use('*', clerkMiddleware())
app.get('/reports', async (c) => c.json(await c.env.DB.prepare('select * from reports').all())) // expect: unprotected-route-handler

const server = express()
const listener = getRequestListener(app.fetch)
server.use('/api', (req, res) => listener(req, res))
server.listen(3000)
