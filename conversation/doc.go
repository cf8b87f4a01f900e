// Package conversation is hirebot's dialog engine: flows described as data
// (steps, prompts, parsers, choices, skip, back, edit and confirm), and a
// pure step function that moves a Session forward one input at a time. The
// parsers of free-text answers live in package parse.
//
// Nothing here does I/O: the SessionStore interface is declared here and
// implemented by the store packages. It imports parse and the standard
// library; the turn layer and the stores import it.
package conversation
