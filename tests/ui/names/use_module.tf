// check-pass
// `use` of a module beside this file, and of selected items.

use helpers
use helpers.{double}

fn f(x: f32) -> f32 {
    triple(double(x))
}
