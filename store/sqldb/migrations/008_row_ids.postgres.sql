-- identities, board_posts and saved_gigs have had their id column in
-- PostgreSQL from the start (001, 005); nothing to do.
SELECT 1;
