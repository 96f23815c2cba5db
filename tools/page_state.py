"""What the tests and the bench wait for on a served page (JavaScript for Playwright's
`wait_for_function`)."""

# Material's bundle, which comes with the reader's first interaction (overrides/partials/
# material.js), has started on the page: its document$ has emitted.
MATERIAL_STARTED = """() => {
  if (typeof document$ === "undefined") return false
  let started = false
  document$.subscribe(() => { started = true }).unsubscribe()
  return started
}"""
