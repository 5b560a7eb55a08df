export async function loadReport() {
  const token = process.env.REPORT_API_TOKEN // expect: secret-key-exposed-env
  return fetch('https://reports.example.com', { headers: { token: String(token) } })
}
