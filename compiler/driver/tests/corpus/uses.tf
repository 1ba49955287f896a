use a.
use .b
use a.b.{x,
use c.{}
use
