#!/bin/sh
# Creates Temporal's two PostgreSQL databases and brings their schemas up to
# date, with the official temporal-sql-tool of the temporalio/admin-tools
# image. Safe to run again: existing databases and schemas are kept.
set -eu
: "${POSTGRES_SEEDS:=postgresql}" "${DB_PORT:=5432}" "${POSTGRES_USER:=temporal}"
export SQL_PASSWORD="${POSTGRES_PWD:?set POSTGRES_PWD}"

until nc -z "$POSTGRES_SEEDS" "$DB_PORT"; do echo "waiting for PostgreSQL at $POSTGRES_SEEDS:$DB_PORT"; sleep 1; done

schema=/etc/temporal/schema/postgresql/v12
for db in temporal:temporal temporal_visibility:visibility; do
  name="${db%%:*}" dir="${db##*:}"
  tool="temporal-sql-tool --plugin postgres12 --ep $POSTGRES_SEEDS -p $DB_PORT -u $POSTGRES_USER --db $name"
  $tool create || true   # fails only when it already exists
  $tool setup-schema -v 0.0 || true   # likewise
  $tool update-schema -d "$schema/$dir/versioned"
done
echo "Temporal schemas are up to date."
