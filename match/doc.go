// Package match is the in-memory index of published profiles and open
// jobs: it ranks profiles for a job (MatchJob) and jobs for a profile
// (MatchProfile), and answers text searches with filters (ParseSearch,
// Search), each result with the reason it was chosen. Apply keeps it fresh
// from the change feed; Rebuild fills it from a store, LoadSnapshot from a
// snapshot that WriteSnapshot wrote and the store's profile log after it.
//
// It imports bot and parse and does no I/O of its own; hire and the bench
// tool import it.
package match
