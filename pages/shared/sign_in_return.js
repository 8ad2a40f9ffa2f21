// Keeps the address a deep link named before sign-in in a cookie of the dashboard's own site
// (pages/shared/auth.py): st.login returns to the root, and the first run there reads it. Lax, as
// Streamlit's own sign-in cookie, so it is sent when the provider's redirect lands; an empty
// value forgets it.
export default function (component) {
  const data = component.data || {}
  const value = data.value || ""
  const secure = window.location.protocol === "https:" ? "; Secure" : ""
  document.cookie =
    `readiness_return=${value}; Path=/; Max-Age=${value ? data.maxAge : 0}; SameSite=Lax${secure}`
}
