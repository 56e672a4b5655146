"""The seam between the domain and the backends: values and grids as read, operations as data, the Backend protocol, tables read through the schema, and the office loaded from them."""
