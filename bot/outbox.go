package bot

// Holder is an adapter that reaches people only while they have its chat
// open (a web page). A delivery it refuses is held for Arrived, to be shown
// when the person comes back, instead of being reported as refused.
type Holder interface {
	HoldsWhileAway() bool
}
