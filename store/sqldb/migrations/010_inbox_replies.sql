-- The replies of a handled event until its platform has them: an event
-- whose worker died between handling and delivering is not handled again,
-- its replies are sent by whoever takes it over. NULL: nothing to send.
ALTER TABLE inbox ADD COLUMN replies TEXT;
CREATE INDEX inbox_undelivered ON inbox (lease_ms, seq) WHERE replies IS NOT NULL;
