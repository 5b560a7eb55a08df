import mongoose from 'mongoose'

export const Visit = mongoose.model('Visit', new mongoose.Schema({ at: Number, path: String }))
export const Post = mongoose.model('Post', new mongoose.Schema({ title: String }))
