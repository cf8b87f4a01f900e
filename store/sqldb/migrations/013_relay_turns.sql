-- When each side of a relay last wrote through it (or chose it): with
-- several open relays, a message goes to the one its sender last answered,
-- and is asked about when another side has spoken since. Never: NULL.
ALTER TABLE relays ADD COLUMN a_said_at {{time}};
ALTER TABLE relays ADD COLUMN b_said_at {{time}};
