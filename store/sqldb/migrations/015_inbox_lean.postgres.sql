-- Take finds leases that ran out among the open events (inbox_open), which
-- are the few in hand; an index of open leases cost every message an
-- insert and a delete. (SQLite also drops AUTOINCREMENT here.)
DROP INDEX inbox_lease;
