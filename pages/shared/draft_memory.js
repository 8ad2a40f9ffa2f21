// Keeps this browser's draft id in a cookie of the dashboard's own site (pages/shared/drafts.py):
// the next session's first request carries it, so the app can offer the draft without a script
// of its own in the page. Strict same-site, a month, Secure over HTTPS.
export default function (component) {
  const remember = component.data ? component.data.remember : null
  if (!remember) return
  const secure = window.location.protocol === "https:" ? "; Secure" : ""
  document.cookie =
    `readiness_draft=${encodeURIComponent(remember)}; Path=/; Max-Age=2592000; SameSite=Strict${secure}`
}
