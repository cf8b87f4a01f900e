// Package parse reads what people write in chat into normalized values:
// amounts, rates and budgets in any currency, dates and deadlines, hours
// and durations, time zones and cities, skills, names, links, and what a
// sentence asks for (ReadIntent). A Parser turns one answer into its
// normal form or an InputError, which may carry Choices ("did you mean").
//
// It is pure: no I/O, and no clock of its own (the caller passes Env.Now).
// The domain (bot), the dialog engine (conversation) and the turn layer
// import it; it imports only the standard library and small text libraries.
package parse
