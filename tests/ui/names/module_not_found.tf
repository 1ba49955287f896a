// error: E0203

use layres

fn f() {
}
