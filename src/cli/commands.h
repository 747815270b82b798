#pragma once
namespace metl::cli {
int Main(int argc, char** argv);
}
