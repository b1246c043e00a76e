"""What analysts use on top of the warehouse: the web dashboard and the exporter. Both
only read it (warehouse.store.connect_readonly); nothing here writes."""
