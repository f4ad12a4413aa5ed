fn main() {
    println!("gazette");
}
