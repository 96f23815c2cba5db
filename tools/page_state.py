"""What the tests and the bench wait for on a served page, and how they get there."""

# Material's bundle, which comes with the reader's first interaction (overrides/partials/
# material.js), has started on the page: its document$ has emitted.
MATERIAL_STARTED = """() => {
  if (typeof document$ === "undefined") return false
  let started = false
  document$.subscribe(() => { started = true }).unsubscribe()
  return started
}"""


def start_material(page, timeout_ms: float = 15000) -> None:
    """Move the pointer over the page, as a reader does, and wait for Material's bundle."""
    page.mouse.move(200, 300)
    page.wait_for_function(MATERIAL_STARTED, timeout=timeout_ms)
