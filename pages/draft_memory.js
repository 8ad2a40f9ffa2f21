// Keeps this browser's draft id in localStorage and reports it to the app (pages/_drafts.py).
export default function (component) {
  const { data, setStateValue } = component
  const KEY = "readiness.draft"
  let stored = null
  try {
    if (data && data.remember) window.localStorage.setItem(KEY, data.remember)
    stored = window.localStorage.getItem(KEY)
  } catch (error) {
    stored = null  // storage disabled: nothing to remember
  }
  if ((data ? data.known : null) !== stored) setStateValue("stored", stored)
}
