#pragma once
namespace metl::sim {
int Main(int argc, char** argv);
}
