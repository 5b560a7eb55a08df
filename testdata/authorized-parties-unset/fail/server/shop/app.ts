import express from 'express'
import { clerkMiddleware } from '@clerk/express'
import orders from './orders'
import reviews from './reviews'

// One app: the app-wide call is reported once, for the routers' calls too.
const shop = express()
shop.use(clerkMiddleware()) // expect: authorized-parties-unset
shop.use('/orders', orders)
shop.use('/reviews', reviews)

shop.listen(3002)
