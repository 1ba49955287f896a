// error: E0206

use helpers.{double, tripel}

fn f(x: f32) -> f32 {
    double(x)
}
