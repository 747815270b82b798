// google-fake: a strict local stand-in for Google's OAuth token endpoint and Cloud Storage JSON API
// (and BigQuery, as its module lands), for tests. See `google-fake --help`.
#include "gfake/fake_cli.h"

int main(int argc, char** argv) {
  return metl::gfake::Main(argc, argv);
}
