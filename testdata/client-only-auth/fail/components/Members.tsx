'use client'
export default function Members() {
  return <ul />
}
