package api

// greeting is what /healthz answers. The rebuild benchmark edits this line between builds.
const greeting = "orders ok"
