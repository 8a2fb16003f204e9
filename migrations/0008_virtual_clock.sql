-- Virtual time survives a reload. An engine on a manual clock records its
-- reading here whenever time is moved through the engine; an engine opening
-- the image on a manual clock starts from it, so time never goes backwards
-- across a reload, an import or a restart.

CREATE TABLE ff_virtual_clock (
  singleton  INTEGER NOT NULL PRIMARY KEY CHECK (singleton = 1),
  now_ms     INTEGER NOT NULL
);
